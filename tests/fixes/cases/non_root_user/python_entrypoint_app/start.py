#!/usr/bin/env python3
import subprocess

# "redis" is the cache's host name here, not a server this image starts
CACHE_HOST = "redis"
subprocess.run(["python3", "-m", "http.server", "8080"], check=True)
