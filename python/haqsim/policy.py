"""haqsim.Policy: per quantizable layer, weight bits and input-activation bits.

The bits live here, in Python, so a notebook can read and change them like a list; reading and
writing files goes through the C++ code the CLI uses (models/policy.h), so a file that haqsim
accepts loads here, a file it refuses raises the same haqsim.InputError, and save() writes what
`haqsim search` writes as policy.yaml.

    p = haqsim.Policy.uniform("mobilenet_v1", 4)
    p[0] = p[-1] = (8, 8)                  # by quantizable-layer index ...
    p["conv2_dw"] = (4, 6)                 # ... or by layer name
    p.save("my-policy.yaml")
    q = haqsim.Policy.load("my-policy.yaml")   # the file's `model:` says which network
"""

import os
from collections import namedtuple

from haqsim._core_loader import core
from haqsim.errors import argument_error

LayerBits = namedtuple("LayerBits", "wbits abits")
LayerBits.__doc__ = "Weight bits and input-activation bits of one quantizable layer."

MIN_BITS, MAX_BITS = 1, 8


def _network(model, onnx):
    return core.NetworkArgument(model=model or "", onnx=os.fspath(onnx) if onnx else "")


def _bits(value, key):
    try:
        w, a = value
    except (TypeError, ValueError):
        raise argument_error(key, "a (wbits, abits) pair", repr(value)) from None
    bits = []
    for what, b in (("wbits", w), ("abits", a)):
        if isinstance(b, bool) or not isinstance(b, int) or not MIN_BITS <= b <= MAX_BITS:
            raise argument_error(f"{key}.{what}", f"bits in [{MIN_BITS}, {MAX_BITS}]", repr(b))
        bits.append(b)
    return LayerBits(*bits)


class Policy:
    """Weight and input-activation bits for every quantizable layer of one network.

    `model` (a zoo name) or `onnx` (a model file) names the network; it gives the layer names
    for name lookups, to_frame() and save(). Indexing takes the quantizable-layer index (the
    `layer` column of layers.csv) or the layer's name, and returns LayerBits(wbits, abits).
    """

    def __init__(self, layers, model=None, *, onnx=None, source=None):
        self._bits = [_bits(b, f"layers[{i}]") for i, b in enumerate(layers)]
        self.model = model
        self.onnx = os.fspath(onnx) if onnx else None
        self.source = source or "Python haqsim.Policy"
        self._layers = None

    # --- constructors ---------------------------------------------------------------------
    @classmethod
    def uniform(cls, model=None, bits=None, *, wbits=None, abits=None, onnx=None):
        """Every layer at `bits` (or at wbits/abits), like --bits / --wbits --abits."""
        if bits is not None and (wbits is not None or abits is not None):
            raise argument_error("bits", "bits= or wbits= with abits=, not both",
                                 f"bits={bits}, wbits={wbits}, abits={abits}")
        if bits is not None:
            wbits = abits = bits
        if wbits is None or abits is None:
            raise argument_error("wbits" if wbits is None else "abits",
                                 "bits=, or wbits= with abits=", "neither")
        count = len(core.quantizable_layers(_network(model, onnx)))
        pair = _bits((wbits, abits), "bits")
        return cls([pair] * count, model, onnx=onnx, source=f"uniform w{pair.wbits}a{pair.abits}")

    @classmethod
    def load(cls, path, model=None, *, onnx=None):
        """Reads a policy file (YAML or JSON, as `--policy` takes); checked against the network
        of `model`/`onnx`, or of the file's own `model:` key when neither is given."""
        path = os.fspath(path)
        if model is None and onnx is None:
            model = core.policy_file_model(path)
        layers, source = core.load_policy(path, _network(model, onnx))
        return cls(layers, model, onnx=onnx, source=source)

    @classmethod
    def from_compact(cls, text, model=None, *, onnx=None, source=None):
        """From the "w/a w/a ..." form of episodes.csv and comparison.csv."""
        layers = []
        for i, item in enumerate(str(text).split()):
            w, _, a = item.partition("/")
            if not (w.isdigit() and a.isdigit()):
                raise argument_error(f"layers[{i}]", "'wbits/abits'", repr(item))
            layers.append((int(w), int(a)))
        return cls(layers, model, onnx=onnx, source=source)

    # --- per-layer access -----------------------------------------------------------------
    def _index(self, key):
        if isinstance(key, str):
            names = self.names
            if key not in names:
                raise argument_error("layer", f"the name of a quantizable layer of {self.model}",
                                     f"unknown layer '{key}'")
            return names.index(key)
        if isinstance(key, bool) or not isinstance(key, int):
            raise argument_error("layer", "a quantizable-layer index or name", repr(key))
        if not -len(self._bits) <= key < len(self._bits):
            raise argument_error("layer", f"an index in [0, {len(self._bits) - 1}]", str(key))
        return key % len(self._bits)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._bits[key]
        return self._bits[self._index(key)]

    def __setitem__(self, key, value):
        i = self._index(key)
        self._bits[i] = _bits(value, f"layers[{i}]")
        self.source = "Python haqsim.Policy"

    def __len__(self):
        return len(self._bits)

    def __iter__(self):
        return iter(self._bits)

    def __eq__(self, other):
        return isinstance(other, Policy) and self._bits == other._bits

    def __repr__(self):
        return f"Policy({self.model or self.onnx or '?'}: {self.compact()})"

    @property
    def wbits(self):
        return [b.wbits for b in self._bits]

    @property
    def abits(self):
        return [b.abits for b in self._bits]

    def layers(self):
        """The network's quantizable layers: dicts of layer, name, kind, shape, macs."""
        if self._layers is None:
            if not (self.model or self.onnx):
                raise argument_error("model", "a policy that names its network (model= or onnx=)",
                                     "neither")
            self._layers = core.quantizable_layers(_network(self.model, self.onnx))
        return self._layers

    @property
    def names(self):
        return [layer["name"] for layer in self.layers()]

    def compact(self):
        """ "w/a w/a ..." in layer order, as episodes.csv writes policies."""
        return " ".join(f"{b.wbits}/{b.abits}" for b in self._bits)

    def to_frame(self):
        """A pandas DataFrame: layer, name, kind, shape, wbits, abits."""
        import pandas as pd
        rows = [dict(layer, wbits=b.wbits, abits=b.abits)
                for layer, b in zip(self.layers(), self._bits)]
        return pd.DataFrame(rows, columns=["layer", "name", "kind", "shape", "wbits", "abits"])

    # --- files ----------------------------------------------------------------------------
    def argument(self):
        """What the C++ functions take (internal)."""
        return core.PolicyArgument(layers=[tuple(b) for b in self._bits], source=self.source)

    def to_yaml(self):
        """The policy as `haqsim search` writes policy.yaml (names and kinds included)."""
        if not (self.model or self.onnx):
            raise argument_error("model", "a policy that names its network (model= or onnx=)",
                                 "neither")
        return core.policy_yaml(self.argument(), _network(self.model, self.onnx))

    def save(self, path):
        """Writes the YAML file atomically (whole or not at all); `--policy` reads it back."""
        core.write_text(os.fspath(path), self.to_yaml(), "path")
