FROM tomcat:10-jre17
COPY app.war /tmp/
# unpacked into the server's folder, then configured there
RUN mkdir -p $CATALINA_HOME/webapps/app && \
    unzip /tmp/app.war -d $CATALINA_HOME/webapps/app && \
    rm -rf /tmp/app.war && \
    cd $CATALINA_HOME && \
    sed -i 's/8080/9090/' conf/server.xml

FROM golang:1.23 AS kept
# the folder may be removed and made again before the cd: it stays
RUN rm -rf /go && mkdir -p /go/src && cd /go && go env GOPATH

FROM tomcat:10-jre17 AS overridden
ENV CATALINA_HOME=/opt/tomcat
# the file's own ENV wins over the image's
RUN mkdir -p /opt/tomcat && cd $CATALINA_HOME && ls
