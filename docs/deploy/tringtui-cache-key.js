// The cache key of docs/deploy/nginx.conf: the SHA-256 of the whole request, API key included.
//
// nginx names each cache file by the MD5 of its cache key and also writes the cache key itself,
// as text, into the file's header. A key of "$request_method $request_uri" would put the API key
// on disk; its SHA-256 keeps answers apart exactly as well (one key's answers never reach
// another key) while the file holds only the hash.
//
// The raw bytes of the request URI are hashed, not the string nginx gives to JavaScript: that
// string turns every byte that is not UTF-8 into U+FFFD, so two different queries could share
// an entry.
import crypto from 'crypto';

function cache_key(r) {
    return crypto.createHash('sha256')
        .update(r.method).update(' ').update(r.rawVariables.request_uri)
        .digest('hex');
}

export default {cache_key};
