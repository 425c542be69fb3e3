from python:3.12-slim
workdir /app
copy . .
run cd /tmp \
    # a scratch folder outside the app
    && mkdir scratch \
    && cd /app && mkdir -m 0750 data
cmd ["python", "main.py"]
