"""Kernels for the runner's worker threads: start early, reuse, reset, shut down.

As nbval keeps its ``RunningKernel`` apart from its plugin, this module owns
everything about kernels; ``execute`` only asks a ``WorkerKernel`` for a ready
kernel manager. ``Workers`` start their kernels at once, so start-up and the
kernels' imports overlap what the runner does meanwhile (validating the data).
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from . import config

KERNEL = "python3"
KERNEL_START_TIMEOUT_S = 60
#: Kernels log start-up warnings and their shutdown interrupt to stderr, which would
#: fill scheduler logs with noise; cell errors still reach the notebook and the runner.
#: No command history: a reused kernel restarts its execution count, which IPython's
#: history database would report (in the report!) as a clash; reports need no history.
#: At start-up (while the runner validates the data) a kernel skips ``rfc3987_syntax``
#: (see ``skip_rfc3987_syntax``: ~1 s of building a grammar that Altair's schema checks
#: never use) and imports what every report imports; ``%reset -f`` between notebooks
#: clears names, not imported modules, so each notebook still starts with an empty
#: namespace.
PRELOAD = ("import sys; sys.modules.setdefault('rfc3987_syntax', None); "
           "import coalition_workbook.charts, coalition_workbook.display")
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False",
               f"--IPKernelApp.exec_lines={PRELOAD}"]

_RESET = "get_ipython().run_line_magic('reset', '-f'); get_ipython().execution_count = 1"



@functools.cache
def _client_class() -> type:
    """jupyter_client's AsyncKernelClient, minus a fixed 0.2 s sleep per notebook.

    Its ``wait_for_ready`` (called by nbclient for every notebook, and by the reset
    between notebooks) ends by draining IOPub until no message came for 0.2 s. That
    drain only drops stale messages, which nbclient and ``execute_interactive``
    ignore anyway (they keep messages whose parent is their own request), so here
    it takes what is already there and does not wait. The rest is unchanged: a
    kernel_info reply on shell plus one IOPub message prove both channels connected.
    Measured: a full run 4.1 s -> 3.65 s (two notebooks per kernel, each waited twice).
    """
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class Client(AsyncKernelClient):  # type: ignore[misc]
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:  # IOPub connected once a message arrives there
                            await self.iopub_channel.get_msg(timeout=0.2)
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=0)
                except Empty:
                    break

    return Client


class WorkerKernel:
    """The kernel of one worker thread, reused for that worker's next notebook.

    A kernel pays for Python start-up and for importing pandas, pandera and
    Altair once; before the next notebook its namespace is cleared (``%reset
    -f``) and its execution count set back to 1, so the notebook sees what a
    fresh kernel shows (the outputs are the same as the nbval baseline's,
    which is made with fresh kernels). A kernel that died, timed out or ran a
    failing notebook is shut down and replaced.

    Asynchronous kernel manager, driven with jupyter_core's ``run_sync`` from
    its own thread only: that is the event loop nbclient (inside papermill)
    uses in this thread too, so its dead-kernel detection keeps working.
    """

    def __init__(self) -> None:
        self.km: Any = None
        self.clean = False  # started, not used yet

    def start(self) -> None:
        """Start a kernel now, so ``get`` returns it (no reset needed) when it is wanted."""
        self.discard()
        self.km = self._start()
        self.clean = True

    def get(self) -> Any:
        """A ready kernel manager: the previous one after a reset, else a new one."""
        from jupyter_core.utils import run_sync

        if self.km is not None:
            try:
                if run_sync(self.km.is_alive)() and (self.clean or run_sync(self._reset)(self.km)):
                    self.clean = False
                    return self.km
            except Exception:  # any doubt: start a fresh kernel
                pass
            self.discard()
        self.km = self._start()
        return self.km

    @staticmethod
    def _start() -> Any:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        km = AsyncKernelManager(kernel_name=KERNEL, client_factory=_client_class())
        run_sync(km.start_kernel)(extra_arguments=KERNEL_ARGS, cwd=str(config.ROOT))
        return km

    @staticmethod
    async def _reset(km: Any) -> bool:
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=KERNEL_START_TIMEOUT_S)
            reply = await kc.execute_interactive(_RESET, silent=True, store_history=False,
                                                 timeout=KERNEL_START_TIMEOUT_S,
                                                 output_hook=lambda msg: None)
            return reply["content"]["status"] == "ok"
        finally:
            kc.stop_channels()

    def discard(self) -> None:
        """Shut the kernel down (after a failure, or when the worker ends)."""
        from jupyter_core.utils import run_sync

        km, self.km, self.clean = self.km, None, False
        if km is not None:
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)


class Workers:
    """Worker threads that start their kernels at once, then execute when given a job.

    Kernel start-up then overlaps what the runner does meanwhile: validating the
    data and importing papermill. Each kernel is driven from its own thread only
    (see ``WorkerKernel``). ``cancel`` (e.g. when the data are broken) shuts the
    kernels down and waits for the threads.
    """

    def __init__(self, count: int) -> None:
        # Import what the threads need once, here, not in several threads at once.
        import jupyter_client.manager  # noqa: F401
        import jupyter_core.utils  # noqa: F401

        self._go = threading.Event()
        self._job: Callable[[WorkerKernel], None] | None = None
        self.threads = [threading.Thread(target=self._main, name=f"notebook-{i}", daemon=True)
                        for i in range(max(1, count))]
        for t in self.threads:
            t.start()

    def _main(self) -> None:
        kernel = WorkerKernel()
        try:
            with contextlib.suppress(Exception):  # a kernel that fails to start is retried
                kernel.start()
            self._go.wait()
            if self._job is not None:
                self._job(kernel)
        finally:
            kernel.discard()

    def begin(self, job: Callable[[WorkerKernel], None]) -> None:
        """Let every worker run ``job(kernel)`` (once)."""
        self._job = job
        self._go.set()

    def join(self) -> None:
        """Wait for the workers (their kernels are shut down when they end)."""
        while any(t.is_alive() for t in self.threads):
            for t in self.threads:
                t.join(0.2)

    def cancel(self) -> None:
        """Give up before any job: shut the kernels down and wait for the threads."""
        if not self._go.is_set():
            self._job = None
            self._go.set()
        self.join()


def skip_rfc3987_syntax() -> None:
    """Keep ``rfc3987_syntax`` from loading in the runner's process.

    jsonschema (imported by nbformat, papermill, nbconvert) imports it, if installed,
    for its "iri" format checks and builds a lark grammar at import: measured ~0.8 s
    of the 1.1 s ``import papermill`` takes. jsonschema skips those checks when the
    import fails (it suppresses the ImportError); nothing here checks IRI formats.
    The runner's kernels do the same at start-up (``PRELOAD``).
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
