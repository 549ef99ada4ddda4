// C++ errors as Python exceptions. The classes live in haqsim/errors.py (so that they can be
// documented, subclassed and caught without this module); each C++ InputError becomes a
// haqsim.InputError carrying its parts (file, line, key, expected, found) and the very message
// the CLI prints after "haqsim: error: ".
#include <pybind11/pybind11.h>

#include "base/input_error.h"
#include "base/process_pool.h"
#include "python/core/bindings.h"
#include "sim/common/cost_model.h"

namespace py = pybind11;

namespace haqsim::python {

namespace {

void raise(const char* class_name, const std::string& message, py::object file = py::none(),
           py::object line = py::none(), py::object key = py::none(),
           py::object expected = py::none(), py::object found = py::none()) {
  py::object cls = py::module_::import("haqsim.errors").attr(class_name);
  py::object error = cls(message, file, line, key, expected, found);
  PyErr_SetObject(cls.ptr(), error.ptr());
}

}  // namespace

void register_error_translation(py::module_& m) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      const InputLocation& w = e.where();
      auto text_or_none = [](const std::string& s) -> py::object {
        if (s.empty()) return py::none();
        return py::str(s);
      };
      // The CLI says "command line" for an option; here it was a function's argument.
      std::string message = e.what();
      const std::string cli = "command line";
      if (w.file.empty() && message.rfind(cli, 0) == 0)
        message = "argument" + message.substr(cli.size());
      raise("InputError", message, py::str(w.file), py::int_(w.line), text_or_none(w.key),
            text_or_none(e.expected()), text_or_none(e.found()));
    } catch (const BackendUnavailable& e) {
      raise("BackendUnavailable", e.what());
    } catch (const WorkerFailure& e) {
      // A sweep point failed in its worker process; only the message crossed the pipe.
      if (!e.input_error) throw;
      raise("InputError", e.what());
    }
  });
}

}  // namespace haqsim::python
