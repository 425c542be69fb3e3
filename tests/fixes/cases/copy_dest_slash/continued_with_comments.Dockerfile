FROM python:3.12-slim
workdir /srv
copy \
    # the manifest
    pyproject.toml \
    # and its lock
    uv.lock \
    /srv
copy \
    setup.cfg \
    setup.py \
    # into the work tree
    .
