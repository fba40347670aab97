"""Runs published: parameters, kernels, papermill execution, the atomic publish of a
run folder, its manifest and open-format exports, screenshots and notebook baselines.
``runner.run`` orchestrates them for ``workbook run``."""

from . import (
    baseline,
    browser,
    bundle,
    editions,
    execute,
    exports,
    fingerprint,
    kernels,
    manifest,
    params,
    publish,
    runner,
)
from .runner import run

__all__ = ["baseline", "browser", "bundle", "editions", "execute", "exports", "fingerprint",
           "kernels", "manifest", "params", "publish", "run", "runner"]
