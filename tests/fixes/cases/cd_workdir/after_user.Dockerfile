FROM debian:12
RUN useradd -m app
USER app
WORKDIR /home/app
# built as the user: WORKDIR looks the user up as the RUN does
RUN cd /home/app/src && make
RUN mkdir -p build && cd build && cmake ..
COPY . .
