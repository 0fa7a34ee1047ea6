#include "lactsim/io/json_reader.hpp"

#include <cctype>
#include <charconv>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/input_limits.hpp"

namespace lactsim {
namespace {

class JsonParser {
 public:
  JsonParser(std::string_view text, const std::filesystem::path& file) : text_(text), file_(file) {}

  std::unique_ptr<JsonNode> parse_document() {
    auto node = parse_value();
    skip_space();
    if (position_ != text_.size()) fail("unexpected text after the JSON document");
    return node;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < position_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') ++line, column = 1;
      else ++column;
    }
    throw InputError({file_.string(), line, column}, "", message);
  }
  void skip_space() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) ++position_;
  }
  bool consume(char c) {
    skip_space();
    if (position_ < text_.size() && text_[position_] == c) {
      ++position_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!consume(c)) fail(std::string("expected '") + c + "'");
  }
  std::string parse_string() {
    expect('"');
    std::string out;
    while (position_ < text_.size() && text_[position_] != '"') {
      char c = text_[position_++];
      if (c == '\\' && position_ < text_.size()) {
        const char escaped = text_[position_++];
        switch (escaped) {
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          case 'r': c = '\r'; break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'u': {
            // Figures only need ASCII text from summary.json; other code points become '?'.
            if (position_ + 4 > text_.size()) fail("truncated \\u escape");
            unsigned code = 0;
            const char* hex = text_.data() + position_;
            if (std::from_chars(hex, hex + 4, code, 16).ptr != hex + 4) fail("malformed \\u escape");
            position_ += 4;
            c = code < 0x80 ? static_cast<char>(code) : '?';
            break;
          }
          default: c = escaped;
        }
      }
      out += c;
    }
    expect('"');
    return out;
  }
  std::unique_ptr<JsonNode> parse_value() {
    skip_space();
    if (position_ >= text_.size()) fail("unexpected end of file");
    auto node = std::make_unique<JsonNode>();
    const char c = text_[position_];
    if (c == '{' || c == '[') {
      const bool object = c == '{';
      // parse_value recurses once per level: a limit, not the stack, ends "[[[[...".
      if (depth_ == limits::kMaxJsonNesting) {
        fail("nesting deeper than " + std::to_string(limits::kMaxJsonNesting) + " arrays and objects");
      }
      ++depth_;
      node->kind = object ? JsonNode::Kind::object : JsonNode::Kind::array;
      ++position_;
      if (consume(object ? '}' : ']')) {
        --depth_;
        return node;
      }
      do {
        std::string key;
        if (object) {
          skip_space();
          key = parse_string();
          expect(':');
        }
        node->members.emplace_back(std::move(key), parse_value());
      } while (consume(','));
      expect(object ? '}' : ']');
      --depth_;
    } else if (c == '"') {
      node->kind = JsonNode::Kind::string;
      node->text = parse_string();
    } else if (text_.substr(position_, 4) == "null") {
      position_ += 4;
    } else if (text_.substr(position_, 4) == "true" || text_.substr(position_, 5) == "false") {
      node->kind = JsonNode::Kind::boolean;
      node->number = text_[position_] == 't' ? 1.0 : 0.0;
      position_ += text_[position_] == 't' ? 4 : 5;
    } else {
      const std::size_t end = text_.find_first_of(",]} \n\r\t", position_);
      const std::string number(text_.substr(position_, end - position_));
      node->kind = JsonNode::Kind::number;
      // from_chars reads the C locale's decimal point whatever the process's locale.
      const auto [parsed_end, error] = std::from_chars(number.data(), number.data() + number.size(), node->number);
      if (number.empty() || error != std::errc{} || parsed_end != number.data() + number.size()) {
        fail("'" + number + "' is not a JSON value");
      }
      position_ = end == std::string_view::npos ? text_.size() : end;
    }
    return node;
  }

  std::string_view text_;
  std::filesystem::path file_;
  std::size_t position_ = 0;
  std::size_t depth_ = 0;  ///< arrays and objects open around the value being parsed
};

}  // namespace

std::unique_ptr<JsonNode> parse_json(std::string_view text, const std::filesystem::path& file) {
  return JsonParser(text, file).parse_document();
}

}  // namespace lactsim
