from python:3.12-slim
run pip install --no-cache-dir numpy pandas
cmd python3
