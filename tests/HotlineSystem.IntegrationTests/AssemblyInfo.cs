// The fault tests stop PostgreSQL and RabbitMQ for everyone on the machine; nothing may run beside them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
