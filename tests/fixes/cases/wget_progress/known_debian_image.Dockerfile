FROM mcr.microsoft.com/dotnet/sdk:8.0
# a Debian image dockfix knows (dockfix.images): GNU Wget 1.x, which keeps its errors
RUN wget https://example.org/tool.deb -O tool.deb && dpkg -i tool.deb && rm tool.deb
CMD ["dotnet"]
