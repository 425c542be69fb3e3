#!/bin/bash
"$@" &
child=$!
trap 'kill -TERM $child' INT TERM
wait $child
