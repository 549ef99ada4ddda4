"""simulate, sweep, policies and run directories do not load libtorch (~290 shared libraries
and over a second of start-up, which the CLI's front end keeps out for the same reason)."""

import os
import subprocess
import sys

import haqsim


def test_importing_and_simulating_loads_no_libtorch():
    code = ("import haqsim\n"
            "haqsim.simulate('arch-configs/bismo-edge.yaml', 'mobilenet_v1', resolution=32)\n"
            "haqsim.Policy.uniform('mobilenet_v1', 4)\n"
            "maps = open('/proc/self/maps').read()\n"
            "print('torch' in maps, 'libsystemc' in maps)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ), check=True).stdout.split()
    assert out == ["False", "True"]  # the simulators are there, libtorch is not


def test_the_module_does_not_link_libtorch():
    core = haqsim._core_loader.core.__file__
    libraries = subprocess.run(["ldd", core], capture_output=True, text=True, check=True).stdout
    assert "libsystemc" in libraries
    assert "torch" not in libraries and "libc10" not in libraries
