FROM python:3.12-slim
RUN python -m venv /opt/venv
RUN . /opt/venv/bin/activate
RUN source /opt/venv/bin/activate && pip install -r requirements.txt
CMD ["python", "app.py"]
