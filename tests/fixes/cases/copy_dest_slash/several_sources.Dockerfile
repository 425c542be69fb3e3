FROM node:20-slim
WORKDIR /app
# the working directory a WORKDIR just made: safe
COPY package.json package-lock.json /app
ENV NODE_ENV=production
COPY tsconfig.json tsconfig.build.json /app
# `.` is read as `./`: safe
COPY src lib .
RUN npm ci
# a folder that may not exist: BuildKit would copy both onto one file
COPY a.txt b.txt /data
COPY --from=node:20 /usr/local/bin/node /usr/local/bin/npm /opt/bin
COPY ["one file.txt", "two.txt", "/quoted"]
COPY x.conf "y.conf" "/etc/conf"
ADD a.txt b.txt /srv
# already a folder, one source, or a form BuildKit keeps: nothing to do or only a report
COPY a.txt b.txt /data/
COPY a.txt /data
COPY a.txt b.txt /data/.
COPY <<EOF <<EOT /etc/
x
EOF
y
EOT
COPY <<EOF other.txt /etc/motd.d
hello
EOF
