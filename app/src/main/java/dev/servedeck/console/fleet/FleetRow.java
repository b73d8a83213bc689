package dev.servedeck.console.fleet;

import dev.servedeck.console.connections.Connection;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * One server's row on the Fleet page. The row stays while the server is listed (the table keeps its selection and
 * cells); its {@link #readingProperty() reading} is replaced every tick. FX thread.
 */
public final class FleetRow {

    private final Connection connection;
    private final ReadOnlyObjectWrapper<FleetReading> reading;

    FleetRow(FleetReading first) {
        this.connection = first.connection();
        this.reading = new ReadOnlyObjectWrapper<>(first);
    }

    public Connection connection() {
        return connection;
    }

    public ReadOnlyObjectProperty<FleetReading> readingProperty() {
        return reading.getReadOnlyProperty();
    }

    public FleetReading reading() {
        return reading.get();
    }

    void show(FleetReading next) {
        reading.set(next);
    }

    @Override
    public String toString() {
        return connection.name() + " " + reading.get().state().map(Enum::name).orElse("?") + " "
                + reading.get().problemsText() + " (" + reading.get().detail() + ")";
    }
}
