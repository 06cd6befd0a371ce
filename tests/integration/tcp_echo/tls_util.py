"""Certificates made with the `openssl` CLI for the TLS tests (a CA, a server cert for localhost and
127.0.0.1, an expired one, one for another name, a client cert, a CA nobody trusts), in a temp dir."""
import os
import shutil
import subprocess
import tempfile

from ntlib import require_peer

EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]


def _openssl(*args, cwd):
    proc = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, f"openssl {' '.join(args)}: {proc.stderr}"
    return proc.stdout


class Pki:
    def __init__(self):
        require_peer("openssl")
        self.dir = tempfile.mkdtemp(prefix="nettool-tls-")
        self._ca("ca", "nettool test CA")
        self._ca("other-ca", "untrusted CA")
        self._leaf("server", "localhost", "DNS:localhost,IP:127.0.0.1,IP:::1")
        self._leaf("expired", "localhost", "DNS:localhost,IP:127.0.0.1", days=-1)
        self._leaf("wrong-name", "example.org", "DNS:example.org")
        self._leaf("client", "test client", None)

    def path(self, name):
        return os.path.join(self.dir, name)

    def cert(self, name):
        return self.path(f"{name}.pem")

    def key(self, name):
        return self.path(f"{name}.key")

    def pin(self, name):
        """sha256:BASE64 of the certificate's SubjectPublicKeyInfo, as curl and HPKP compute it."""
        der = subprocess.run(f"openssl x509 -in {self.cert(name)} -pubkey -noout | openssl pkey -pubin -outform DER"
                             " | openssl dgst -sha256 -binary | openssl base64", shell=True, capture_output=True,
                             text=True, check=True).stdout.strip()
        return f"sha256:{der}"

    def not_after(self, name):
        """notAfter in RFC 3339, e.g. 2026-11-30T15:51:00Z."""
        out = _openssl("x509", "-in", self.cert(name), "-noout", "-enddate", "-dateopt", "iso_8601", cwd=self.dir)
        return out.strip().split("=", 1)[1].replace(" ", "T")

    def _ca(self, name, cn):
        _openssl("req", "-x509", *EC, "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj",
                 f"/CN={cn}", "-addext", "basicConstraints=critical,CA:TRUE", cwd=self.dir)

    def _leaf(self, name, cn, sans, days=2):
        _openssl("req", *EC, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}", cwd=self.dir)
        ext = f"{name}.ext"
        with open(self.path(ext), "w") as f:
            f.write("basicConstraints=CA:FALSE\n" + (f"subjectAltName={sans}\n" if sans else ""))
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                 "-days", str(days), "-extfile", ext, "-out", f"{name}.pem", cwd=self.dir)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)
