FROM eclipse-temurin:21-jre
WORKDIR /application
COPY app.jar ./
# the application keeps its state in root's home (mode 0700)
ENV APP_WORK_DIR=/root/.myapp
ENTRYPOINT ["java", "-jar", "app.jar"]
