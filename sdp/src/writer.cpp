#include <rtcgate/sdp/writer.hpp>

#include "text.hpp"

namespace rtcgate::sdp {

namespace {

void line(std::string& out, char type, std::string_view value) {
  out.push_back(type);
  out.push_back('=');
  out.append(value);
  out.append("\r\n");
}

void write_bandwidths(const std::vector<Bandwidth>& bws, std::string& out) {
  for (const auto& bw : bws) {
    out.append("b=");
    out.append(bw.type);
    out.push_back(':');
    detail::append_uint(out, bw.value);
    out.append("\r\n");
  }
}

void write_tail(const std::vector<ExtraLine>& extra, const AttributeList& attrs, std::string& out) {
  for (const auto& e : extra)
    line(out, e.type, e.value);
  for (const auto& a : attrs.items) {
    out.append("a=");
    out.append(a.name);
    if (a.value) {
      out.push_back(':');
      out.append(*a.value);
    }
    out.append("\r\n");
  }
}

void write_media(const MediaDescription& m, std::string& out) {
  out.append("m=");
  out.append(m.media);
  out.push_back(' ');
  detail::append_uint(out, m.port);
  if (m.port_count) {
    out.push_back('/');
    detail::append_uint(out, *m.port_count);
  }
  out.push_back(' ');
  out.append(m.proto);
  for (const auto& f : m.formats) {
    out.push_back(' ');
    out.append(f);
  }
  out.append("\r\n");
  if (m.information) line(out, 'i', *m.information);
  for (const auto& c : m.connections) {
    out.append("c=");
    write_connection(c, out);
    out.append("\r\n");
  }
  write_bandwidths(m.bandwidths, out);
  if (m.key) line(out, 'k', *m.key);
  write_tail(m.extra_lines, m.attributes, out);
}

}  // namespace

void write_connection(const Connection& c, std::string& out) {
  out.append(c.net_type);
  out.push_back(' ');
  out.append(c.addr_type);
  out.push_back(' ');
  out.append(c.address);
  if (c.ttl) {
    out.push_back('/');
    detail::append_uint(out, *c.ttl);
  }
  if (c.address_count) {
    out.push_back('/');
    detail::append_uint(out, *c.address_count);
  }
}

void write_to(const SessionDescription& d, std::string& out) {
  out.append("v=");
  detail::append_uint(out, d.version);
  out.append("\r\n");
  const Origin& o = d.origin;
  out.append("o=");
  for (const std::string* f : {&o.username, &o.session_id, &o.session_version, &o.net_type, &o.addr_type}) {
    out.append(*f);
    out.push_back(' ');
  }
  out.append(o.address);
  out.append("\r\n");
  line(out, 's', d.session_name);
  if (d.information) line(out, 'i', *d.information);
  if (d.uri) line(out, 'u', *d.uri);
  for (const auto& e : d.emails)
    line(out, 'e', e);
  for (const auto& p : d.phones)
    line(out, 'p', p);
  if (d.connection) {
    out.append("c=");
    write_connection(*d.connection, out);
    out.append("\r\n");
  }
  write_bandwidths(d.bandwidths, out);
  if (d.timings.empty()) line(out, 't', "0 0");  // t= is mandatory (RFC 8866 §5.9)
  for (const auto& t : d.timings) {
    out.append("t=");
    detail::append_uint(out, t.start);
    out.push_back(' ');
    detail::append_uint(out, t.stop);
    out.append("\r\n");
    for (const auto& r : t.repeats)
      line(out, 'r', r);
  }
  if (d.zone) line(out, 'z', *d.zone);
  if (d.key) line(out, 'k', *d.key);
  write_tail(d.extra_lines, d.attributes, out);
  for (const auto& m : d.media)
    write_media(m, out);
}

std::string write(const SessionDescription& d) {
  std::string out;
  out.reserve(1024 + 512 * d.media.size());
  write_to(d, out);
  return out;
}

}  // namespace rtcgate::sdp
