@echo off
chcp 65001 >nul
cd /d "%~dp0"
echo 正在检查数据（不生成文件）……
echo.
huibao.exe check --progress none
echo.
echo 检查结果也可以保存下来：在这个文件夹打开命令行，运行 huibao.exe check ^> 检查结果.txt
echo 按任意键关闭……
pause >nul
