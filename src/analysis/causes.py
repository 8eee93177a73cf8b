"""What went wrong, in the analyst's words first: a Chinese cause, then the technical detail.

A full disk, a refused connection or a certificate that cannot be verified reach the
analyst through many layers (a briefing's worker, the mail sender, a library's own
exception text). ``cause_of`` finds the cause along the exception's chain, or in its text
when a library passed only the words on; ``explained`` puts it before the detail.
"""

from __future__ import annotations

import errno
import socket
import ssl

# errno -> cause (the same words as the command line's messages for files)
OS_CAUSES = {
    errno.ENOSPC: "磁盘空间不足（No space left on device），请清理磁盘或换一个输出目录（OUT=…）",
    errno.EDQUOT: "磁盘配额已用完，请清理文件或请管理员增加配额",
    errno.EROFS: "输出位置在只读的文件系统上",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ECONNREFUSED: "服务器拒绝连接（地址或端口不对，或服务没有开启）",
    errno.ECONNRESET: "连接被服务器中途断开",
    errno.ENETUNREACH: "网络不可达（本机连不上该服务器所在的网络）",
    errno.EHOSTUNREACH: "找不到通往服务器的路由（网络不通或被防火墙拦截）",
    errno.ETIMEDOUT: "连接超时（网络不通，或被防火墙拦截）",
}
# words a library may pass on without the exception (a worker's message, a kernel's text)
TEXT_CAUSES = {
    "No space left on device": errno.ENOSPC,
    "Disk quota exceeded": errno.EDQUOT,
    "Read-only file system": errno.EROFS,
}


def _own_cause(err: BaseException) -> str | None:
    if isinstance(err, ssl.SSLCertVerificationError):
        return "服务器的证书无法验证（证书不受信任、已过期，或与服务器地址不符）"
    if isinstance(err, ssl.SSLError):
        return "加密连接（SSL/TLS）建立失败：加密方式或端口可能与服务器不符"
    if isinstance(err, socket.gaierror):
        return "找不到服务器（地址写错，或本机无法解析该域名）"
    if isinstance(err, TimeoutError):
        return OS_CAUSES[errno.ETIMEDOUT]
    if isinstance(err, OSError) and err.errno in OS_CAUSES:
        return OS_CAUSES[err.errno]
    text = str(err)
    return next((OS_CAUSES[code] for words, code in TEXT_CAUSES.items() if words in text), None)


def cause_of(err: BaseException) -> str | None:
    """The Chinese cause of ``err`` or of an exception it was raised from; None when the
    cause is not one of these.

    >>> cause_of(OSError(28, "No space left on device"))[:6]
    '磁盘空间不足'
    >>> cause_of(RuntimeError("Kernel died: [Errno 28] No space left on device"))[:6]
    '磁盘空间不足'
    """
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        cause = _own_cause(current)
        if cause:
            return cause
        current = current.__cause__ or current.__context__
    return None


def explained(err: BaseException, fallback: str = "出错") -> str:
    """``原因。技术细节：Type: message`` — the cause first, the detail after it.

    >>> cause, detail = explained(ConnectionRefusedError(111, "refused")).split("。")
    >>> cause
    '服务器拒绝连接（地址或端口不对，或服务没有开启）'
    >>> detail
    '技术细节：ConnectionRefusedError: [Errno 111] refused'
    """
    return f"{cause_of(err) or fallback}。技术细节：{type(err).__name__}: {err}"


def failure_reason(err: BaseException | None) -> str:
    """Why a briefing of a batch failed, for its summary: the Chinese cause first (a full
    disk, a refused connection), the detail after it; the project's own messages (Chinese
    already) are kept, with the cause put before them when one is found."""
    from analysis.errors import AnalysisError

    if err is None:
        return ""
    cause = cause_of(err)
    if isinstance(err, AnalysisError):
        return f"{cause}：{err}" if cause else str(err)
    return explained(err, "生成时出错")
