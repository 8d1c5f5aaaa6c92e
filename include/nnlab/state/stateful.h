#pragma once
// Stateful: a part of a training run whose state can be saved and restored, so
// that a resumed run equals an uninterrupted one to the bit. Optimizers, random
// generators, the data loader, the history and early stopping are Stateful; a
// checkpoint gathers their dicts under prefixes (StateDict::merge, under).
//
// load_state_dict checks the whole dict before it changes anything: on an error
// (a missing, unexpected or misshapen entry, named in the message) the object is
// as it was.

#include "nnlab/state/state_dict.h"

namespace nnlab {

class Stateful {
 public:
  virtual ~Stateful() = default;
  virtual StateDict state_dict() const = 0;
  // Takes exactly the entries state_dict() gives; throws std::runtime_error naming
  // the first entry that is missing, unexpected, of another dtype or shape, or out of range.
  virtual void load_state_dict(const StateDict& state) = 0;

 protected:
  // Copied and moved only as part of the object it belongs to.
  Stateful() = default;
  Stateful(const Stateful&) = default;
  Stateful(Stateful&&) = default;
  Stateful& operator=(const Stateful&) = default;
  Stateful& operator=(Stateful&&) = default;
};

}  // namespace nnlab
