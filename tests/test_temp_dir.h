// A temporary directory of this test process: temp_directory_path()/haqsim-tests-<pid>. Fixtures
// put their files under it, not under fixed names in /tmp, so suites run at once from several
// checkouts (or by several users) cannot delete or overwrite each other's files mid-test. The
// directory is removed at exit when the tests left it empty.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

inline std::filesystem::path haqsim_test_temp_dir() {
  struct Root {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("haqsim-tests-" + std::to_string(::getpid()));
    Root() { std::filesystem::create_directories(path); }
    ~Root() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);  // only if empty
    }
  };
  static const Root root;
  return root.path;
}
