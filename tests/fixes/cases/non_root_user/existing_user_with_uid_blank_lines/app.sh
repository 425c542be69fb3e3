#!/bin/sh
exec /usr/bin/curl -fsS http://localhost:8080/
