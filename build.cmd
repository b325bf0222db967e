@echo off
rem Road's build entry point on Windows: checks the SDK against global.json, builds the build project, runs it.
setlocal
set ROOT=%~dp0
set DOTNET_CLI_TELEMETRY_OPTOUT=1
set DOTNET_NOLOGO=1
set MSBUILDDISABLENODEREUSE=1
where dotnet >nul 2>nul || (echo build.cmd: the .NET SDK in global.json is required and dotnet is not on PATH. 1>&2 & exit /b 1)
pushd "%ROOT%" && dotnet --version >nul 2>nul || (popd & echo build.cmd: no installed .NET SDK satisfies global.json. 1>&2 & exit /b 1)
popd
dotnet build "%ROOT%build\_build.csproj" -c Release -nologo -v quiet -clp:NoSummary || (echo build.cmd: the build project did not compile. 1>&2 & exit /b 1)
dotnet "%ROOT%build\bin\Release\net10.0\_build.dll" %*
