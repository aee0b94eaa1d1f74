"""Worker processes that end when the process that started them dies, so a killed import or
linkage run leaves nothing behind (shared by the import's name workers and linkage's)."""

import os
import threading
import time


def end_with_parent(parent: int) -> None:
    """Pool initializer: exit as soon as ``parent`` is no longer this process's parent."""

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
