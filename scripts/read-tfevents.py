#!/usr/bin/python3
"""Reads a TensorBoard event file independently of the workbench: TFRecord framing with every CRC-32C
checked (computed here bit by bit), each record parsed by protobuf as tensorboard's Event message (the
fields the workbench writes, declared here from tensorboard's event.proto and summary.proto).

    /usr/bin/python3 scripts/read-tfevents.py results/<study>/<run>/events.out.tfevents.workbench

Prints one line per event (step, wall time, tag=value …) and a summary line; exits 1 on a bad record.
Needs only Debian's python3-protobuf; TensorBoard itself reads the same files with `tensorboard --logdir`."""
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked(crc):
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def event_class():
    f = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="tfevents_check.proto", package="tensorboard", syntax="proto3")
    value = proto.message_type.add(name="Value")
    value.field.add(name="tag", number=1, type=f.TYPE_STRING, label=f.LABEL_OPTIONAL)
    value.field.add(name="simple_value", number=2, type=f.TYPE_FLOAT, label=f.LABEL_OPTIONAL)
    summary = proto.message_type.add(name="Summary")
    summary.field.add(name="value", number=1, type=f.TYPE_MESSAGE, type_name=".tensorboard.Value", label=f.LABEL_REPEATED)
    event = proto.message_type.add(name="Event")
    event.field.add(name="wall_time", number=1, type=f.TYPE_DOUBLE, label=f.LABEL_OPTIONAL)
    event.field.add(name="step", number=2, type=f.TYPE_INT64, label=f.LABEL_OPTIONAL)
    event.field.add(name="file_version", number=3, type=f.TYPE_STRING, label=f.LABEL_OPTIONAL)
    event.field.add(name="summary", number=5, type=f.TYPE_MESSAGE, type_name=".tensorboard.Summary", label=f.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("tensorboard.Event"))


def main(path):
    Event = event_class()
    data = open(path, "rb").read()
    at, steps = 0, []
    while at < data.__len__():
        header = data[at:at + 12]
        if len(header) < 12:
            sys.exit(f"{path}: torn header at byte {at}")
        (length,), (length_crc,) = struct.unpack("<Q", header[:8]), struct.unpack("<I", header[8:])
        if masked(crc32c(header[:8])) != length_crc:
            sys.exit(f"{path}: bad length checksum at byte {at}")
        payload, (data_crc,) = data[at + 12:at + 12 + length], struct.unpack("<I", data[at + 12 + length:at + 16 + length])
        if masked(crc32c(payload)) != data_crc:
            sys.exit(f"{path}: bad data checksum at byte {at}")
        event = Event.FromString(payload)
        values = " ".join(f"{v.tag}={v.simple_value:.6g}" for v in event.summary.value)
        print(f"step {event.step:>5}  wall {event.wall_time:.3f}  {event.file_version or values}")
        if event.summary.value:
            steps.append(event.step)
        at += 16 + length
    duplicates = len(steps) - len(set(steps))
    print(f"{path}: {at} bytes, every checksum valid; {len(steps)} steps ({min(steps, default=0)}..{max(steps, default=0)}), "
          f"{duplicates} duplicated, increasing: {steps == sorted(steps)}")


if __name__ == "__main__":
    main(sys.argv[1])
