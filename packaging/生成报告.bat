@echo off
chcp 65001 >nul
cd /d "%~dp0"
echo 正在生成报告（最新年度、全部单位）……
echo.
huibao.exe build --progress lines
set RESULT=%ERRORLEVEL%
echo.
if %RESULT%==0 (
  echo 全部报告已生成。
) else (
  echo 有报告没有生成，请看上面的“错误”提示，改好数据后再双击运行一次。
)
echo 按任意键打开报告所在的 output 文件夹……
pause >nul
start "" "%~dp0output"
