package io.payledger.localstack.servers;

/** A running Redis server, embedded (a child process) or in a container. */
public interface RedisServer extends AutoCloseable {

    String host();

    int port();

    @Override
    void close();
}
