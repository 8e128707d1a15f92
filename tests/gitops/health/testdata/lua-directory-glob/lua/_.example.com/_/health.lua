return {status = "Healthy", message = "widget " .. obj.metadata.name .. " from the directory"}
