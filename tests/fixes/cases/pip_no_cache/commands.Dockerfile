FROM python:3.12-slim
RUN pip install -r requirements.txt
RUN pip3 install --upgrade pip setuptools && pip3.12 install flask
RUN python -m pip install gunicorn && python3 -m pip install -e .
RUN pip install --no-cache-dir requests
RUN pip download -d /wheels -r requirements.txt && pip wheel -w /wheels .
RUN pipx install black && pipenv install --system && uv pip install --system x
RUN PIP_NO_CACHE_DIR=1 pip install x
RUN PIP_NO_CACHE_DIR=0 pip install x
RUN --mount=type=cache,target=/root/.cache/pip pip install x
RUN --mount=type=cache,target=/pipcache PIP_CACHE_DIR=/pipcache pip install x
RUN pip install --cache-dir=/tmp/pip x
run pip install
RUN if [ -f requirements.txt ]; then pip install -r requirements.txt; fi
