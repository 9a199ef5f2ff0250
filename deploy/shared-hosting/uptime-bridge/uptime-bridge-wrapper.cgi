#!/bin/sh
# For hosts whose CGI programs run through suEXEC, which drops variables set with SetEnv: upload
# this as public_html/cgi-bin/uptime-bridge.cgi (mode 0755) and the binary as
# /home/USER/uptime-bridge/uptime-bridge, outside the web root, also mode 0755 (it is executed:
# an upload left at 0644 gives Apache's "500 Internal Server Error" page).
UPTIME_BRIDGE_CONFIG=/home/USER/uptime-bridge/config.yaml
export UPTIME_BRIDGE_CONFIG
exec /home/USER/uptime-bridge/uptime-bridge "$@"
