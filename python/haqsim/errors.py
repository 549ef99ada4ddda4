"""Exceptions of the haqsim Python API.

A bad input (malformed config, policy or grid, missing file, impossible option) raises
InputError with the CLI's own message, which names the file, the line or key, what was expected
and what was found: the C++ code that checks an input raises it for both, so a notebook user
reads the same text as `haqsim` prints after "haqsim: error: ".
"""


class InputError(ValueError):
    """Bad user input; the CLI exits with code 2 for it.

    Attributes (None when the message does not have them, e.g. a search's child process):
    file (path as given; "" for an argument), line (1-based, 0 if not applicable), key (dotted
    config key, option or entry name), expected, found.
    """

    def __init__(self, message, file=None, line=None, key=None, expected=None, found=None):
        super().__init__(message)
        self.file = file
        self.line = line
        self.key = key
        self.expected = expected
        self.found = found


class BackendUnavailable(InputError):
    """The backend asked for is not built into this haqsim (e.g. no verilated array)."""


def argument_error(key, expected, found):
    """An InputError for a bad Python argument, worded like the CLI's for a bad option."""
    return InputError(f"argument: key '{key}': expected {expected}, found {found}",
                      file="", line=0, key=key, expected=expected, found=found)


def file_error(path, expected, found, line=0):
    """An InputError for a file that is not what haqsim wrote, worded like the CLI's."""
    where = f"{path}:{line}" if line else str(path)
    return InputError(f"{where}: expected {expected}, found {found}",
                      file=str(path), line=line, key=None, expected=expected, found=found)
