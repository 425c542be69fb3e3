FROM python:3.12
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\\app
COPY . C:\\app
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
