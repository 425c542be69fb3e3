FROM rockylinux:9
RUN dnf install -y python3 python3-pip && dnf clean all
RUN mkdir /code
WORKDIR /code
COPY . /code/
RUN pip3 install --no-cache-dir -r requirements.txt
CMD ["python3", "manage.py", "runserver", "0.0.0.0:8000"]
