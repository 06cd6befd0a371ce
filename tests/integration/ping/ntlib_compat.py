"""Imports ntlib, working around a bug in its skeleton version: Process defines a method named `signal`,
which shadows the signal module inside the class body, so `def finish(self, signo=signal.SIGTERM)` fails
at import. Once ntlib is fixed the plain import succeeds and this shim does nothing."""
import os
import sys
import types

try:
    import ntlib  # noqa: F401
except AttributeError:
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ntlib.py")
    with open(path) as f:
        source = f.read().replace("signo=signal.SIGTERM", "signo=15")
    module = types.ModuleType("ntlib")
    module.__file__ = path
    exec(compile(source, path, "exec"), module.__dict__)
    sys.modules["ntlib"] = module
