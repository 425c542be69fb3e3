FROM debian:12
RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends unzip curl; \
	curl -fsSLo /opt/tools.zip https://example.com/tools.zip; \
	unzip /opt/tools.zip -d /opt; \
	rm -f /opt/tools.zip;

# without set -e, `; rm` would hide a failure of the command before it: `&& rm` goes before the `;`
FROM debian:12 AS no_errexit
RUN apt-get update; \
	apt-get install -y --no-install-recommends nodejs;

# a `case` branch's `;;` is not the end of the list
FROM debian:12 AS case_end
RUN apt-get update && apt-get install -y --no-install-recommends curl && case x in x) echo x ;; esac
