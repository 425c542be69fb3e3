# myorg/maven: projects build FROM it and run mvn package.
FROM eclipse-temurin:21-jdk
ARG MAVEN_VERSION=3.9.9
RUN curl -fsSLo /tmp/maven.tgz https://archive.apache.org/dist/maven/maven-3/${MAVEN_VERSION}/binaries/apache-maven-${MAVEN_VERSION}-bin.tar.gz \
    && tar -xzf /tmp/maven.tgz -C /opt \
    && rm /tmp/maven.tgz \
    && ln -s /opt/apache-maven-${MAVEN_VERSION}/bin/mvn /usr/bin/mvn
CMD ["mvn"]
