#!/bin/bash
set -eu
./inner.sh
