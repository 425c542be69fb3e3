FROM node:20
WORKDIR /app
RUN cd /app/api && npm ci && cd ../web && npm ci && npm run build
RUN cd /tmp && tar -xzf /src/tool.tgz && cd tool && ./configure && make install
RUN set -eux; cd /srv; make; cd docs; make html
COPY . .
# refused: a later cd that cannot be rewritten, files removed after a split
RUN cd /tmp && make && cd - && ls
RUN cd /tmp && tar -xzf /src/a.tgz && cd a && make install && cd .. && rm -rf a
RUN cd /a && make; cd /b && make
