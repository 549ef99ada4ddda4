"""Imports the C++ half of the package with a message that says how to build it."""

try:
    from haqsim import _core  # noqa: F401  (re-exported)
except ImportError as error:  # pragma: no cover - only without a build
    raise ImportError(
        "haqsim's C++ module (_core) is not built or not on the path: build haqsim with CMake "
        "(cmake --build build) and put build/python on PYTHONPATH "
        f"(PYTHONPATH=build/python python3 ...); {error}") from error

core = _core
