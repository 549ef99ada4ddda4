"""Python arguments to what the C++ functions take, checked as the CLI checks its options."""

import os

from haqsim._core_loader import core
from haqsim.errors import argument_error

BACKENDS = ("analytic", "systemc", "rtl")


def path_or_empty(value):
    return os.fspath(value) if value is not None else ""


def network(model, onnx, resolution, classes, width, batch):
    """None means not given: a zoo network then takes resolution 224, 1000 classes, width 1.0; an
    ONNX graph its own dims (given ones bind symbolic dims and must agree with fixed ones, and
    width= is refused, as `simulate --onnx` does)."""
    for key, value, low, high in (("resolution", resolution, 1, 8192),
                                  ("classes", classes, 1, 1000000)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not low <= value <= high):
            raise argument_error(key, f"an integer in [{low}, {high}]", repr(value))
    if width is not None and (not isinstance(width, (int, float)) or isinstance(width, bool)
                              or not 0.01 <= width <= 16):
        raise argument_error("width", "a number in [0.01, 16]", repr(width))
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int)
                              or not 1 <= batch <= 4096):
        raise argument_error("batch", "an integer in [1, 4096] (None: the arch config's)",
                             repr(batch))
    if model is None and onnx is None:
        raise argument_error("model", "model= (a zoo network, see haqsim.models()) or onnx=",
                             "neither")
    if model is not None and onnx is not None:
        raise argument_error("onnx", "model= or onnx=, not both", f"model={model!r}, onnx={onnx!r}")
    return core.NetworkArgument(model=model or "", onnx=path_or_empty(onnx),
                                resolution=resolution or 0, classes=classes or 0,
                                width=float(width or 0), batch=batch or 0)


def policy(policy, bits, wbits, abits, model):
    """One of policy= (a haqsim.Policy or a file), bits=, wbits= with abits=; 8/8 if none."""
    from haqsim.policy import Policy
    given = [name for name, v in (("policy", policy), ("bits", bits), ("wbits", wbits),
                                  ("abits", abits)) if v is not None]
    if (policy is not None or bits is not None) and len(given) > 1:
        raise argument_error(given[1], f"{given[0]}= alone (policy=, bits= and wbits=/abits= "
                             "exclude each other)", ", ".join(f"{g}=" for g in given))
    if (wbits is None) != (abits is None):
        raise argument_error("abits" if abits is None else "wbits",
                             "wbits= and abits= together", "only one of them")
    if isinstance(policy, Policy):
        if policy.model and model and policy.model != model:
            raise argument_error("policy", f"a policy for '{model}'",
                                 f"a policy for '{policy.model}'")
        return policy.argument()
    if policy is not None:
        if not isinstance(policy, (str, os.PathLike)):
            raise argument_error("policy", "a haqsim.Policy or a policy file", repr(policy))
        return core.PolicyArgument(file=os.fspath(policy))
    if bits is not None:
        wbits = abits = bits
    for key, value in (("wbits", wbits), ("abits", abits)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 1 <= value <= 8):
            raise argument_error("bits" if bits is not None else key, "bits in [1, 8]",
                                 repr(value))
    return core.PolicyArgument(wbits=wbits or 0, abits=abits or 0)


def backend(name):
    if name not in BACKENDS:
        raise argument_error("backend", " or ".join(BACKENDS), repr(name))
    return name


def shard(value):
    """'I/N', (I, N) or None (the whole grid)."""
    if value is None:
        return "0/1"
    if isinstance(value, tuple) and len(value) == 2:
        return f"{value[0]}/{value[1]}"
    return str(value)
