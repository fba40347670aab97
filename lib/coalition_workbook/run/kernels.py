"""Kernels for the runner's worker threads: start early, reuse, reset, shut down.

``execute`` asks a ``WorkerKernel`` for a ready kernel manager and hands it to
papermill (``km=``, passed on to nbclient, which then leaves the kernel running).
``Workers`` start their kernels at once, so the kernels' start-up and imports
overlap what the runner does meanwhile (validating the data). Only public
jupyter_client APIs are used: ``AsyncKernelManager.start_kernel``, ``is_alive``,
``shutdown_kernel`` and ``client()`` (``start_channels``, ``execute``,
``get_shell_msg``, ``stop_channels``).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from ..data import config

KERNEL = "python3"
KERNEL_START_TIMEOUT_S = 60
#: Kernels log start-up warnings and their shutdown interrupt to stderr, which would
#: fill scheduler logs with noise; cell errors still reach the notebook and the runner.
#: No command history: a reused kernel restarts its execution count, which IPython's
#: history database would report (in the report!) as a clash; reports need no history.
#: At start-up (while the runner validates the data) a kernel imports what every
#: report imports; ``%reset -f`` between notebooks clears names, not imported
#: modules, so each notebook still starts with an empty namespace.
PRELOAD = "import coalition_workbook.pages"
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False",
               f"--IPKernelApp.exec_lines={PRELOAD}"]

#: Run between two notebooks on one kernel: empty the namespace and start counting
#: executions at 1 again, as a fresh kernel does.
_RESET = "get_ipython().run_line_magic('reset', '-f'); get_ipython().execution_count = 1"


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

        km = AsyncKernelManager(kernel_name=KERNEL)
        run_sync(km.start_kernel)(extra_arguments=KERNEL_ARGS, cwd=str(config.ROOT))
        return km

    @staticmethod
    async def _reset(km: Any) -> bool:
        """Run ``_RESET`` on the kernel; whether its reply said ``ok``.

        Only the shell channel is opened: the reply comes there, and requests sent
        before the channel has connected are queued, so nothing waits for IOPub
        (``wait_for_ready`` would, for output this reset does not have).
        """
        kc = km.client()
        kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = kc.execute(_RESET, silent=True, store_history=False, allow_stdin=False)
            deadline = time.monotonic() + KERNEL_START_TIMEOUT_S
            while time.monotonic() < deadline:
                try:
                    reply = await kc.get_shell_msg(timeout=1)
                except queue.Empty:
                    if not await km.is_alive():
                        return False
                    continue
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    return bool(reply["content"]["status"] == "ok")
            return False
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
