/// The `httpd.conf` of the shared-hosting tests: one Apache 2.4 on loopback (prefork, mod_cgi,
/// mod_rewrite) serving a site's web root as a shared host with symlink protection grants it
/// (`AllowOverride FileInfo Options`, `SymLinksIfOwnerMatch`). Apache's own files (pid, logs,
/// runtime) live in `serverRoot`; `hostLines` say whose CGI programs run as whom (`User`/`Group`,
/// suEXEC's module and `SuexecUserGroup`).
enum ApacheSiteConfig {
    static let modules = "/usr/lib/apache2/modules"

    static func render(serverRoot: String, port: Int, webRoot: String, hostLines: String) -> String {
        """
        ServerRoot "\(serverRoot)"
        ServerName 127.0.0.1
        Listen 127.0.0.1:\(port)
        PidFile "\(serverRoot)/httpd.pid"
        ErrorLog "\(serverRoot)/error.log"
        LogLevel warn
        DefaultRuntimeDir "\(serverRoot)/run"
        LoadModule mpm_prefork_module \(modules)/mod_mpm_prefork.so
        LoadModule authz_core_module \(modules)/mod_authz_core.so
        LoadModule mime_module \(modules)/mod_mime.so
        LoadModule env_module \(modules)/mod_env.so
        LoadModule rewrite_module \(modules)/mod_rewrite.so
        LoadModule cgi_module \(modules)/mod_cgi.so
        \(hostLines)
        StartServers 2
        MinSpareServers 1
        MaxSpareServers 4
        TypesConfig /dev/null
        DocumentRoot "\(webRoot)"
        AccessFileName .htaccess
        <Directory />
            AllowOverride None
            Require all denied
        </Directory>
        # A shared host with symlink protection: what it grants in the web root.
        <Directory "\(webRoot)">
            Options SymLinksIfOwnerMatch
            AllowOverride FileInfo Options
            Require all granted
        </Directory>
        <Files ".ht*">
            Require all denied
        </Files>
        """
    }
}
