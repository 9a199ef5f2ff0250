#!/bin/sh
# Which user do CGI programs run as on this host? Upload as public_html/cgi-bin/whoami.cgi
# (mode 0755), open https://HOST/cgi-bin/whoami.cgi once, then delete it.
#   - It names your own account: CGI runs as you (suEXEC or similar). Use the wrapper variant,
#     secrets at mode 0600, and let the bridge create its cache directory.
#   - It names the web server (www-data, apache, nobody): CGI runs as the server, shared by every
#     site on the host. See "Hosts without suEXEC" in docs/shared-hosting.md before putting a token there.
printf 'Content-Type: text/plain\r\n\r\n'
id
