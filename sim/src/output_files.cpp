#include "lactsim/sim/output_files.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "lactsim/sim/errors.hpp"

namespace lactsim {

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) throw Error("cannot create directory " + path.parent_path().string() + ": " + ec.message());
  std::filesystem::path temporary = path;
  temporary += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      const std::string reason = std::strerror(errno);
      out.close();
      std::filesystem::remove(temporary, ec);
      throw Error("cannot write " + path.string() + ": " + reason);
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error("cannot move " + temporary.string() + " to " + path.string() + ": " + ec.message());
  }
}

void OutputStaging::add(std::filesystem::path path, std::string content) {
  files_.emplace_back(std::move(path), std::move(content));
}

void OutputStaging::commit() const {
  for (const auto& [path, content] : files_) write_file_atomically(path, content);
}

std::vector<std::filesystem::path> OutputStaging::paths() const {
  std::vector<std::filesystem::path> out;
  for (const auto& file : files_) out.push_back(file.first);
  return out;
}

}  // namespace lactsim
