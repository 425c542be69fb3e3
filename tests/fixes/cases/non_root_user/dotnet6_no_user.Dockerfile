# .NET 6 images have no user of their own: one is created.
FROM mcr.microsoft.com/dotnet/aspnet:6.0-alpine
WORKDIR /app
COPY out/ .
ENTRYPOINT ["dotnet", "App.dll"]
