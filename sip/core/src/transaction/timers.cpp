#include "rtcgate/sip/transaction/timers.hpp"

#include <algorithm>

namespace rtcgate::sip {

bool TransactionTimers::valid() const {
  return t1 > Duration::zero() && t2 >= t1 && t4 > Duration::zero() && timer_d > Duration::zero() &&
         trying_delay >= Duration::zero();
}

Duration TransactionTimers::next_capped(Duration current) const {
  return std::min(2 * current, t2);
}

}  // namespace rtcgate::sip
