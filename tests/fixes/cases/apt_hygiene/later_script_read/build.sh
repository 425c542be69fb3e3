#!/bin/sh
set -eu
make -C /src all
