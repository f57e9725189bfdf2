# Runs what `docker-compose config -q` runs (docker-compose v1's own loader:
# compose.config.config.find and load, with the environment of each file's
# directory) over many files in one process, since starting the Python
# program once per file takes seconds. Prints one JSON line per file:
# {"file": ..., "ok": true} or {"file": ..., "ok": false, "error": ...}.
import json
import logging
import os
import sys

from compose.config import config
from compose.config.environment import Environment

logging.disable(logging.CRITICAL)

for path in sys.argv[1:]:
    base = os.path.dirname(os.path.abspath(path))
    try:
        env = Environment.from_env_file(base)
        details = config.find(base, [os.path.abspath(path)], env)
        config.load(details, interpolate=True)
        print(json.dumps({"file": path, "ok": True}), flush=True)
    except Exception as e:  # every failure is the file's verdict
        print(json.dumps({"file": path, "ok": False, "error": str(e)[:300]}), flush=True)
