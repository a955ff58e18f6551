console.log("spanwise test asset");
