#include "bindings.hpp"
namespace lactsim::python {
void bind_analysis(py::module_&) {}
}
