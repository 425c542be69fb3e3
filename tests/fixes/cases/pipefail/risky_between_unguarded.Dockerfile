# A RUN that pipefail would fail, and whose writers cannot be guarded (a
# compound command, a backquoted substitution), keeps the stage's shell; the
# piped RUNs around it get pipefail from a SHELL of their own.
FROM debian:12 AS first-risky
RUN { dpkg -l curl; ls /opt; } | grep -q curl || touch /no-curl
RUN curl -fsSL https://example.com/a.tgz | tar -xz -C /opt
RUN echo done

FROM ubuntu:24.04 AS between
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/k.gpg
RUN V=`ls /opt/*.so | head -1` && echo "$V" > /first-lib
RUN wget -qO- https://example.com/b.tgz | tar -xz -C /opt
# dash's echo reads the escape; bash's does not
RUN printf 'a\n' | tee /a && echo "one\ttwo" > /b
RUN wget -qO- https://example.com/c.tgz | tar -xz -C /opt
CMD ["app"]
